package dev.alter.it.portal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Headless Debian Chromium driven through the system chromedriver, in a fresh profile. Both paths
 * are given explicitly, so Selenium Manager never runs and nothing is downloaded. Without the
 * browser the tests are skipped, unless {@code ALTER_TEST_BROWSER_REQUIRED=true} (as .ci/run sets),
 * which fails them.
 */
final class Browser implements AutoCloseable {
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

  final ChromeDriver driver;
  private final Path profile;
  private final String baseUrl;

  private final boolean javascript;

  private Browser(String baseUrl, boolean javascript) {
    this.baseUrl = baseUrl;
    this.javascript = javascript;
    try {
      profile = Files.createTempDirectory("alter-portal-chromium-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        "--window-size=1200,860",
        "--user-data-dir=" + profile);
    if (!javascript) {
      options.setExperimentalOption(
          "prefs", java.util.Map.of("profile.managed_default_content_settings.javascript", 2));
    }
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(CHROMEDRIVER.toFile())
            .usingAnyFreePort()
            .build();
    driver = new ChromeDriver(service, options);
    driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
  }

  /** A browser for the service at {@code baseUrl}, or the test is skipped (or failed in CI). */
  static Browser open(String baseUrl) {
    requireInstalled();
    return new Browser(baseUrl, true);
  }

  /** A browser with JavaScript switched off, as some operators run theirs. */
  static Browser withoutJavaScript(String baseUrl) {
    requireInstalled();
    return new Browser(baseUrl, false);
  }

  static void requireInstalled() {
    // Selenium Manager would otherwise look for (and download) a browser and driver
    System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
    if (Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER)) {
      return;
    }
    String reason =
        "the browser tests need Debian's chromium and chromium-driver ("
            + CHROMIUM
            + ", "
            + CHROMEDRIVER
            + "): apt-get install chromium chromium-driver";
    if ("true".equalsIgnoreCase(System.getenv("ALTER_TEST_BROWSER_REQUIRED"))) {
      throw new IllegalStateException(reason + " (ALTER_TEST_BROWSER_REQUIRED=true)");
    }
    Assumptions.abort(reason);
  }

  void go(String path) {
    driver.get(baseUrl + path);
  }

  String path() {
    String url = driver.getCurrentUrl();
    return url.startsWith(baseUrl) ? url.substring(baseUrl.length()) : url;
  }

  WebElement find(String css) {
    return driver.findElement(By.cssSelector(css));
  }

  List<WebElement> findAll(String css) {
    return driver.findElements(By.cssSelector(css));
  }

  String text(String css) {
    return find(css).getText();
  }

  void type(String css, String value) {
    WebElement field = find(css);
    field.clear();
    field.sendKeys(value);
  }

  /** Clicks and waits for the page it leads to. */
  void submit(String css) {
    WebElement button = find(css);
    button.click();
    new WebDriverWait(driver, Duration.ofSeconds(60))
        .until(
            d ->
                isStale(button)
                    && (!javascript || "complete".equals(script("return document.readyState"))));
  }

  private static boolean isStale(WebElement element) {
    try {
      element.isEnabled();
      return false;
    } catch (org.openqa.selenium.StaleElementReferenceException e) {
      return true;
    } catch (org.openqa.selenium.WebDriverException e) {
      // Chromium's answer for an element of the document being replaced, mid-navigation
      if (String.valueOf(e.getMessage()).contains("does not belong to the document")) {
        return true;
      }
      throw e;
    }
  }

  Object script(String js) {
    return ((JavascriptExecutor) driver).executeScript(js);
  }

  String heading() {
    return text("h1");
  }

  /** The session cookie the portal set, which the page's script cannot read (HttpOnly). */
  Cookie sessionCookie() {
    return driver.manage().getCookieNamed("alter_portal");
  }

  /**
   * Everything the browser keeps for this origin that a person or a script could look at: the
   * page's HTML, every cookie, local and session storage.
   */
  String everythingStored() {
    StringBuilder all = new StringBuilder(driver.getPageSource());
    for (Cookie c : driver.manage().getCookies()) {
      all.append('\n').append(c.getName()).append('=').append(c.getValue());
    }
    all.append('\n').append(script("return JSON.stringify(Object.entries(window.localStorage))"));
    all.append('\n').append(script("return JSON.stringify(Object.entries(window.sessionStorage))"));
    return all.toString();
  }

  /** None of {@code secrets} is in the page, the cookies or the storage. */
  void assertHoldsNone(String step, List<String> secrets) {
    String stored = everythingStored();
    for (String secret : secrets) {
      assertThat(stored).as("%s: page, cookies and storage", step).doesNotContain(secret);
    }
  }

  /** Writes a PNG of the page under each screenshot directory. */
  void screenshot(String name) {
    script("window.scrollTo(0, 0)");
    byte[] png = ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES);
    String dirs = System.getProperty("alter.portal.screenshots", "target/portal-screenshots");
    for (String dir : dirs.split(",")) {
      try {
        Path target = Path.of(dir.trim()).toAbsolutePath().normalize();
        Files.createDirectories(target);
        Files.write(target.resolve(name + ".png"), png);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  @Override
  public void close() {
    try {
      driver.quit();
    } finally {
      deleteQuietly(profile);
    }
  }

  private static void deleteQuietly(Path dir) {
    try (var paths = Files.walk(dir)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // a temporary profile left behind is harmless
    }
  }
}
