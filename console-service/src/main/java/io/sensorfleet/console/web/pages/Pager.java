package io.sensorfleet.console.web.pages;

import io.sensorfleet.console.common.Page;

/**
 * Paging links of a list page.
 *
 * @param base the page's address with its filters, ending in '?' or '&amp;', to which {@code page=n} is added
 */
public record Pager(int page, int pages, long total, long from, long to, String base) {
    static Pager of(Page<?> p, String base) {
        int pages = (int) Math.max(1, (p.total() + p.size() - 1) / p.size());
        long from = p.total() == 0 ? 0 : (long) p.page() * p.size() + 1;
        return new Pager(p.page(), pages, p.total(), from, Math.min(p.total(), (long) (p.page() + 1) * p.size()), base);
    }

    /** One-based, for people. */
    public int number() {
        return page + 1;
    }

    public boolean hasPrevious() {
        return page > 0;
    }

    public boolean hasNext() {
        return page + 1 < pages;
    }

    public String previous() {
        return base + "page=" + (page - 1);
    }

    public String next() {
        return base + "page=" + (page + 1);
    }
}
