package io.sensorfleet.cli;

import picocli.CommandLine.Command;

import java.io.IOException;
import java.util.concurrent.Callable;

/**
 * Forgets the login: removes the login file. The token itself stays valid at the console until it
 * expires (the API has no call to withdraw a login token); change the password to end it at once.
 */
@Command(name = "logout", description = "Remove the kept login token.")
final class LogoutCommand implements Callable<Integer> {
    private final Context ctx;

    LogoutCommand(Context ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() throws IOException {
        SessionStore store = ctx.sessions();
        ctx.out().println(store.delete() ? "Logged out: removed " + store.file() : "Not logged in");
        ctx.out().flush();
        return 0;
    }
}
