package dev.parley.it.support;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A headless Debian Chromium driven by its own chromedriver (no browser download, no Selenium Manager). The
 * console is signed in to once with the admin credentials in the URL; Chromium then answers the console's Basic
 * challenge from its cache for every later page and {@code /api} call, as a browser does after its login prompt.
 * Screenshots go to {@code target/screenshots} (kept as build artefacts).
 *
 * <p>Without {@code /usr/bin/chromium} and {@code /usr/bin/chromedriver} the browser tests are skipped, except
 * under CI ({@code CI=true}), where {@code .ci/run} installs them and a missing browser fails the build.
 */
public final class Browser implements AutoCloseable {

    public static final Duration PATIENCE = Duration.ofSeconds(30);
    /** The axe-core WebJar's version (its files live in a folder named after it); the it pom pins the same. */
    private static final String AXE_VERSION = System.getProperty("parley.it.axeVersion", "4.6.3");
    private static final Path CHROMIUM = Path.of(System.getProperty("parley.it.chromium", "/usr/bin/chromium"));
    private static final Path DRIVER = Path.of(System.getProperty("parley.it.chromedriver", "/usr/bin/chromedriver"));

    private final WebDriver driver;
    private final String baseUrl;
    private final Path profile;
    private final Path screenshots;

    private Browser(WebDriver driver, String baseUrl, Path profile) {
        this.driver = driver;
        this.baseUrl = baseUrl;
        this.profile = profile;
        this.screenshots = ItPaths.targetDir().resolve("screenshots");
    }

    /** Starts Chromium and signs in to the console at {@code baseUrl} as {@code user}. */
    public static Browser signedIn(String baseUrl, String user, String password) throws IOException {
        boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(DRIVER);
        if (!present && "true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new IllegalStateException(CHROMIUM + " or " + DRIVER + " is missing: .ci/run installs the Debian"
                    + " packages chromium and chromium-driver");
        }
        Assumptions.assumeTrue(present, "no " + CHROMIUM + " / " + DRIVER + " (apt-get install chromium chromium-driver):"
                + " browser tests skipped");
        Path profile = Files.createTempDirectory("parley-chromium");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        // The flags a closed CI network needs: no background fetches, no updates, no sync, no first-run UI.
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync",
                "--disable-quic", "--window-size=1280,1100", "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(DRIVER.toFile()).usingAnyFreePort().build();
        Browser b = new Browser(new ChromeDriver(service, options), baseUrl, profile);
        try {
            b.driver.get(baseUrl.replace("://", "://" + user + ":" + password + "@") + "/console/");
            b.await(d -> !d.findElements(By.cssSelector("main h1")).isEmpty(), "the console's first page");
            return b;
        } catch (RuntimeException e) {
            b.screenshot("sign-in-failed");
            String page = b.driver.getPageSource();
            b.close();
            throw new IllegalStateException("the console did not open: " + page.substring(0, Math.min(2000, page.length())), e);
        }
    }

    public WebDriver driver() {
        return driver;
    }

    /** Opens a console path ({@code /console/sessions}) and waits for its heading. */
    public void open(String path) {
        driver.get(baseUrl + path);
        await(d -> !d.findElements(By.cssSelector("main h1")).isEmpty(), "the page " + path);
        settle();
    }

    /** Waits until the console is done with what it was doing (an API call, a re-render): main is not aria-busy. */
    public void settle() {
        await(d -> d.findElements(By.cssSelector("main[aria-busy='true']")).isEmpty(), "the console to finish");
    }

    /**
     * Reloads the page until {@code condition} holds on it, for a change on the server the page does not poll for:
     * after each reload waits for the heading and for the console to finish, checks, then pauses half a second.
     */
    public void awaitAfterReload(Predicate<WebDriver> condition, String what) {
        // The wait polls every half second: each poll reloads, waits for the page, then checks.
        await(d -> {
            d.navigate().refresh();
            await(x -> !x.findElements(By.cssSelector("main h1")).isEmpty(), "the page's heading after a reload");
            settle();
            return condition.test(d) ? Boolean.TRUE : null;
        }, what);
    }

    public <T> T await(Function<WebDriver, T> condition, String what) {
        // The console re-renders a view after each action: an element found just before may be gone, so look again.
        return new WebDriverWait(driver, PATIENCE).withMessage(what)
                .ignoring(org.openqa.selenium.StaleElementReferenceException.class).until(condition);
    }

    /** The first element matching {@code css}, waited for. */
    public WebElement find(String css) {
        return await(d -> d.findElements(By.cssSelector(css)).stream().findFirst().orElse(null), css);
    }

    /** The text of the first element matching {@code css} (read again if the console re-rendered it meanwhile). */
    public String text(String css) {
        return await(d -> d.findElements(By.cssSelector(css)).stream().findFirst().map(WebElement::getText).orElse(null), css);
    }

    /** An attribute of the first element matching {@code css} once it has one, read as {@link #text} is. */
    public String attribute(String css, String name) {
        return await(d -> d.findElements(By.cssSelector(css)).stream().findFirst().map(e -> e.getAttribute(name))
                .orElse(null), css + " @" + name);
    }

    /** Clicks the first element matching {@code css}, again if the console replaced it just then. */
    public void click(String css) {
        await(d -> d.findElements(By.cssSelector(css)).stream().findFirst().map(e -> {
            e.click();
            return true;
        }).orElse(null), "click " + css);
        settle();
    }

    /** Clicks the button in the page's main part whose text is {@code text}. */
    public void clickButton(String text) {
        await(d -> {
            d.findElement(By.xpath("//main//button[normalize-space()='" + text + "']")).click();
            return true;
        }, "click the button '" + text + "'");
        settle();
    }

    public List<WebElement> all(String css) {
        return driver.findElements(By.cssSelector(css));
    }

    /** Waits until the element's text contains {@code text}, re-finding it (the console re-renders). */
    public void awaitText(String css, String text) {
        await(d -> d.findElements(By.cssSelector(css)).stream().anyMatch(e -> e.getText().contains(text))
                ? Boolean.TRUE : null, "'" + text + "' in " + css);
    }

    /** The notice bar's text once it shows one. */
    public String notice() {
        return await(d -> {
            WebElement n = d.findElement(By.id("notice"));
            return n.isDisplayed() && !n.getText().isBlank() ? n.getText() : null;
        }, "a notice");
    }

    /**
     * Runs axe-core's WCAG 2 A and AA rules on the page as it is now, and returns each violation of impact serious or
     * critical as "rule: help (selectors)". Empty when a person with a screen reader or keyboard can use the page.
     */
    public List<String> accessibilityProblems() {
        String axe = AXE.get();
        JavascriptExecutor js = (JavascriptExecutor) driver;
        js.executeScript(axe);
        Object result = js.executeAsyncScript("const done = arguments[arguments.length - 1];"
                + "axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa']}})"
                + ".then(r => done(r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')"
                + ".map(v => v.id + ': ' + v.help + ' (' + v.nodes.map(n => n.target.join(' ')).slice(0, 5).join(', ') + ')')))"
                + ".catch(e => done(['axe failed: ' + e]));");
        if (!(result instanceof List<?> l)) {
            throw new IllegalStateException("axe-core answered " + result + " instead of a list of violations");
        }
        List<String> problems = new java.util.ArrayList<>();
        l.forEach(x -> problems.add(String.valueOf(x)));
        return problems;
    }

    private static final java.util.function.Supplier<String> AXE = new java.util.function.Supplier<>() {
        private String script;

        @Override
        public synchronized String get() {
            if (script == null) {
                String path = "/META-INF/resources/webjars/axe-core/" + AXE_VERSION + "/axe.min.js";
                try (var in = Browser.class.getResourceAsStream(path)) {
                    if (in == null) throw new IllegalStateException(path + " is not on the test class path");
                    script = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
            return script;
        }
    };

    public void screenshot(String name) {
        try {
            Files.createDirectories(screenshots);
            File shot = ((org.openqa.selenium.TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
            Files.copy(shot.toPath(), screenshots.resolve(name + ".png"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            try (var files = Files.walk(profile)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException ignored) {
                // a temp folder
            }
        }
    }
}
