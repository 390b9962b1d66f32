package dev.alter.it.harness;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/**
 * The forms in which an {@code alter_key_…} key could show up in output: as it is, its random part,
 * base64 and base64url of it, hex of its bytes, and the spaced upper-case hex rows of {@code
 * -Djavax.net.debug}. Finding none of them in a log means the key is not there.
 */
public final class KeyEncodings {
  private KeyEncodings() {}

  public static List<String> of(String key) {
    // alter_key_<kind>_ then base64url, which may itself hold '_'
    String random = key.substring(key.indexOf('_', "alter_key_".length()) + 1);
    byte[] utf8 = key.getBytes(StandardCharsets.UTF_8);
    byte[] randomBytes = Base64.getUrlDecoder().decode(random);
    List<String> forms =
        new ArrayList<>(
            List.of(
                key,
                random,
                Base64.getEncoder().encodeToString(utf8),
                Base64.getUrlEncoder().withoutPadding().encodeToString(utf8),
                Base64.getEncoder().encodeToString(randomBytes).replace("=", ""),
                HexFormat.of().formatHex(utf8),
                HexFormat.of().withUpperCase().formatHex(utf8),
                HexFormat.of().formatHex(randomBytes),
                HexFormat.of().withUpperCase().formatHex(randomBytes)));
    byte[] head = random.substring(0, 16).getBytes(StandardCharsets.US_ASCII);
    forms.add(HexFormat.ofDelimiter(" ").withUpperCase().formatHex(head));
    forms.add(HexFormat.ofDelimiter(" ").withUpperCase().formatHex(randomBytes, 0, 16));
    return forms;
  }
}
