import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Date;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Build step (run with {@code java TrustStoreWithoutExpired.java <payara-micro.jar> <out.p12>}): writes Payara Micro's
 * bundled trust store ({@code MICRO-INF/domain/cacerts.p12}) without the certificates that have expired by now.
 *
 * <p>Why: Payara checks every certificate of its trust store at start and logs a multi-line WARNING
 * (NCLS-SECURITY-05054) per expired one; it has no option to skip the check. An expired CA certificate can no
 * longer vouch for a server, so leaving it out changes nothing Parley trusts; Micro takes the file given as
 * {@code -Djavax.net.ssl.trustStore} (and {@code --outputUberJar} bakes it into the uber-jar).
 * Certificates that expire after the build will warn again: rebuild, or mount a current trust store.
 */
public final class TrustStoreWithoutExpired {

    private static final String ENTRY = "MICRO-INF/domain/cacerts.p12";
    /** Payara's default master password, which also opens its trust store. */
    private static final char[] PASSWORD = "changeit".toCharArray();

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: java TrustStoreWithoutExpired.java <payara-micro.jar> <out.p12>");
            System.exit(2);
        }
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (ZipFile micro = new ZipFile(args[0])) {
            ZipEntry entry = micro.getEntry(ENTRY);
            if (entry == null) {
                throw new IllegalStateException(args[0] + " has no " + ENTRY);
            }
            try (InputStream in = micro.getInputStream(entry)) {
                store.load(in, PASSWORD);
            }
        }
        Date now = new Date();
        List<String> expired = new ArrayList<>();
        for (String alias : Collections.list(store.aliases())) {
            Certificate c = store.getCertificate(alias);
            if (c instanceof X509Certificate x && x.getNotAfter().before(now)) {
                expired.add(alias + " (" + x.getNotAfter().toInstant() + ")");
                store.deleteEntry(alias);
            }
        }
        Path out = Path.of(args[1]);
        Files.createDirectories(out.toAbsolutePath().getParent());
        try (OutputStream o = Files.newOutputStream(out)) {
            store.store(o, PASSWORD);
        }
        System.out.println("[trust store] " + out + ": " + store.size() + " certificates, left out "
                + expired.size() + " expired: " + String.join(", ", expired));
    }
}
