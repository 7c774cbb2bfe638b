package dev.parley.it.support;

import com.github.tomakehurst.wiremock.WireMockServer;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Starts the shared Parley + WireMock ({@link SharedParley}) before the first class that uses it, keeps them for
 * the whole JVM, and closes them with the JUnit root context. Resolves parameters of type {@link ParleyServer},
 * {@link WireMockServer} and {@link Http} (admin-authenticated). After each test, fails it when a request to the
 * Infobip stand-in broke Infobip's published OpenAPI spec ({@link SharedParley#assertInfobipRequestsFollowSpec}).
 */
public final class SharedParleyExtension implements BeforeAllCallback, AfterEachCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(SharedParleyExtension.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        context.getRoot().getStore(NS).getOrComputeIfAbsent(SharedParley.Handle.class,
                k -> new RootResource(SharedParley.handle()), RootResource.class);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        SharedParley.startedWireMock().ifPresent(SharedParley::assertInfobipRequestsFollowSpec);
    }

    @Override
    public boolean supportsParameter(ParameterContext p, ExtensionContext e) {
        Class<?> t = p.getParameter().getType();
        return t == ParleyServer.class || t == WireMockServer.class || t == Http.class;
    }

    @Override
    public Object resolveParameter(ParameterContext p, ExtensionContext e) {
        Class<?> t = p.getParameter().getType();
        if (t == ParleyServer.class) {
            return SharedParley.server();
        }
        if (t == WireMockServer.class) {
            return SharedParley.wireMock();
        }
        return SharedParley.admin();
    }

    /** Closing it shuts the shared pair down (whoever started it). */
    private record RootResource(SharedParley.Handle handle) implements ExtensionContext.Store.CloseableResource {
        @Override
        public void close() {
            SharedParley.shutdown();
        }
    }
}
