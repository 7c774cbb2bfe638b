package dev.parley.infobip.sms;

import dev.parley.infobip.FakeContext;
import dev.parley.infobip.FakeResponse;
import dev.parley.infobip.http.AccountApi;
import jakarta.ws.rs.core.Response;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Supplier;

/** Infobip's account and SMS APIs answering from one queue of canned responses, recording each call in order. */
public class FakeApi implements AccountApi, SmsApi {

    /** One recorded call. */
    public record Call(String method, String authorization, String body) {
    }

    public final List<Call> calls = new ArrayList<>();
    private final Deque<Supplier<Response>> answers = new ArrayDeque<>();

    /** Makes {@code ctx} hand out this fake for both APIs. */
    public FakeApi into(FakeContext ctx) {
        ctx.client(AccountApi.class, this).client(SmsApi.class, this);
        return this;
    }

    public FakeApi answer(int status, String body) {
        answers.add(() -> new FakeResponse(status, body));
        return this;
    }

    public FakeApi answer(Supplier<Response> answer) {
        answers.add(answer);
        return this;
    }

    private Response next() {
        if (answers.isEmpty()) throw new AssertionError("unexpected call");
        return answers.poll().get();
    }

    @Override
    public Response balance(String authorization) {
        calls.add(new Call("balance", authorization, null));
        return next();
    }

    @Override
    public Response logs(String authorization, int limit) {
        calls.add(new Call("logs?limit=" + limit, authorization, null));
        return next();
    }

    @Override
    public Response logsOf(String authorization, String messageId) {
        calls.add(new Call("logs?messageId=" + messageId, authorization, null));
        return next();
    }

    @Override
    public Response send(String authorization, String body) {
        calls.add(new Call("send", authorization, body));
        return next();
    }
}
