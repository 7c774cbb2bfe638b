package dev.parley.runtime.openapi;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The version of the Swagger UI WebJar on the class path (its files live in a folder named after it). */
final class SwaggerUiVersion {

    static final String VERSION = read();

    private SwaggerUiVersion() {
    }

    private static String read() {
        try (InputStream in = SwaggerUiVersion.class.getResourceAsStream("/META-INF/maven/org.webjars/swagger-ui/pom.properties")) {
            Properties p = new Properties();
            if (in != null) {
                p.load(in);
            }
            return p.getProperty("version", "missing");
        } catch (IOException e) {
            return "missing";
        }
    }
}
