package io.sensorfleet.console.common;

import java.util.List;

/**
 * One page of a list.
 *
 * @param items the items of this page
 * @param page  zero-based page number
 * @param size  page size asked for
 * @param total number of items matching the filter across all pages
 */
public record Page<T>(List<T> items, int page, int size, long total) {
}
