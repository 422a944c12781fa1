package io.sensorfleet.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Mixin;

import java.util.concurrent.Callable;

/** A command that calls the console: gets the context, the API options and a client from them. */
public abstract class ApiCommand implements Callable<Integer> {
    protected final Context ctx;

    @Mixin
    protected ApiOptions api;

    protected ApiCommand(Context ctx) {
        this.ctx = ctx;
    }

    @Override
    public final Integer call() throws Exception {
        run(api.client(ctx));
        return 0;
    }

    protected abstract void run(ConsoleClient client) throws Exception;

    /** The answer as JSON with --json, else as the command prints it. */
    protected void print(JsonNode answer, Runnable human) {
        if (api.json()) {
            Output.json(ctx.out(), answer);
        } else {
            human.run();
            ctx.out().flush();
        }
    }
}
