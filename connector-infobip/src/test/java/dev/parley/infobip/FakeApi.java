package dev.parley.infobip;

import jakarta.ws.rs.core.Response;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Supplier;

/** An InfobipApi that answers from a queue of canned responses and records each call. */
public class FakeApi implements InfobipApi {

    /** One recorded call. */
    public record Call(String method, String authorization, String body) {
    }

    public final List<Call> calls = new ArrayList<>();
    private final Deque<Supplier<Response>> answers = new ArrayDeque<>();

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
    public Response smsLogs(String authorization, int limit) {
        calls.add(new Call("logs?limit=" + limit, authorization, null));
        return next();
    }

    @Override
    public Response smsLogsByMessageId(String authorization, String messageId) {
        calls.add(new Call("logs?messageId=" + messageId, authorization, null));
        return next();
    }

    @Override
    public Response sendSms(String authorization, String body) {
        calls.add(new Call("send", authorization, body));
        return next();
    }
}
