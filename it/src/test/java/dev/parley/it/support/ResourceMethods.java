package dev.parley.it.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Every JAX-RS resource method the deliverable serves, as "VERB /path/{}" (path parameters as {@code {}}), read from
 * the built WAR itself (its {@code ParleyApplication}'s classes, as plugin-runtime's AdminProtectionContractTest
 * enumerates them) in a class loader of its own over the WAR's jars and Payara Micro's API jars, so nothing of
 * the deliverable is on the test class path.
 */
public final class ResourceMethods {

    private ResourceMethods() {
    }

    public static Set<String> inWar(Path war, Path spiJar, Path microJar) {
        try {
            Path dir = Files.createTempDirectory(war.getParent(), "resource-methods");
            List<URL> urls = new ArrayList<>();
            try (ZipFile z = new ZipFile(war.toFile())) {
                for (Enumeration<? extends ZipEntry> e = z.entries(); e.hasMoreElements(); ) {
                    ZipEntry entry = e.nextElement();
                    String name = entry.getName();
                    boolean lib = name.startsWith("WEB-INF/lib/") && name.endsWith(".jar");
                    boolean cls = name.startsWith("WEB-INF/classes/") && !entry.isDirectory();
                    if (lib || cls) copy(z, entry, dir.resolve(name));
                    if (lib) urls.add(dir.resolve(name).toUri().toURL());
                }
            }
            urls.add(dir.resolve("WEB-INF/classes/").toUri().toURL());
            urls.add(spiJar.toUri().toURL());
            try (ZipFile z = new ZipFile(microJar.toFile())) {
                for (Enumeration<? extends ZipEntry> e = z.entries(); e.hasMoreElements(); ) {
                    ZipEntry entry = e.nextElement();
                    String name = entry.getName().replace("MICRO-INF/runtime/", "");
                    if (entry.getName().startsWith("MICRO-INF/runtime/") && (name.matches("jakarta\\..*-api.*\\.jar")
                            || name.equals("jakarta.json.jar") || name.matches("microprofile-.*-api\\.jar"))) {
                        Path to = dir.resolve("api").resolve(name);
                        copy(z, entry, to);
                        urls.add(to.toUri().toURL());
                    }
                }
            }
            try (URLClassLoader loader = new URLClassLoader(urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader())) {
                Class<?> app = Class.forName("dev.parley.runtime.rest.ParleyApplication", false, loader);
                Set<?> classes = (Set<?>) app.getMethod("getClasses").invoke(app.getConstructor().newInstance());
                @SuppressWarnings("unchecked")
                Class<? extends Annotation> pathType = (Class<? extends Annotation>) loader.loadClass("jakarta.ws.rs.Path");
                @SuppressWarnings("unchecked")
                Class<? extends Annotation> httpMethod = (Class<? extends Annotation>) loader.loadClass("jakarta.ws.rs.HttpMethod");
                Set<String> out = new TreeSet<>();
                for (Object o : classes) {
                    Class<?> c = (Class<?>) o;
                    Annotation classPath = c.getAnnotation(pathType);
                    if (classPath == null) continue;
                    for (Method m : c.getMethods()) {
                        String verb = null;
                        for (Annotation a : m.getAnnotations()) {
                            Annotation h = a.annotationType().getAnnotation(httpMethod);
                            if (h != null) verb = value(h);
                        }
                        Annotation methodPath = m.getAnnotation(pathType);
                        if (verb == null && methodPath == null) continue;
                        out.add((verb == null ? "LOCATOR" : verb) + " "
                                + normalise(join(value(classPath), methodPath == null ? "" : value(methodPath))));
                    }
                }
                return out;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot read the WAR's JAX-RS resources: " + e, e);
        }
    }

    /** Path parameters (with or without a regular expression) as {@code {}}. */
    public static String normalise(String template) {
        return template.replaceAll("\\{[^}]+}", "{}");
    }

    private static String value(Annotation a) throws ReflectiveOperationException {
        return (String) a.annotationType().getMethod("value").invoke(a);
    }

    private static String join(String a, String b) {
        String p = ("/" + a + "/" + b).replaceAll("/+", "/");
        return p.length() > 1 && p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
    }

    private static void copy(ZipFile z, ZipEntry entry, Path to) throws IOException {
        Files.createDirectories(to.getParent());
        try (InputStream in = z.getInputStream(entry)) {
            Files.copy(in, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
