package io.sensorfleet.console.web;

import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/** The console's root opens the web console. */
@ApplicationScoped
public class RootRedirect {
    void route(@Observes Router router) {
        router.get("/").order(-1).handler(rc -> rc.redirect("/ui"));
    }
}
