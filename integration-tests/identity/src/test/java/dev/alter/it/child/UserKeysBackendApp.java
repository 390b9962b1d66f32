package dev.alter.it.child;

import dev.alter.agent.bootstrap.AlterUserSecrets;
import dev.alter.agent.bootstrap.UserSecretStatus;
import java.net.http.HttpClient;

/**
 * A backend whose users connect their own keys: besides {@code request <RequestLine>} (the JDK
 * client of {@link ScriptedJdkClient}), {@code store <provider> <jwt> <key>}, {@code delete
 * <provider> <jwt>} and {@code status <provider> <jwt>} call {@link AlterUserSecrets}, the public
 * API the app compiles against; {@code store-named <provider> <name> <jwt> <key>}, {@code
 * delete-named …} and {@code status-named …} call its overloads for a named key. The reports carry
 * what the app sees: a fingerprint and ids, and whether the key's {@code char[]} was cleared.
 */
public final class UserKeysBackendApp {
  private UserKeysBackendApp() {}

  public static void main(String[] args) throws Exception {
    ScriptedJdkClient http = new ScriptedJdkClient(false, HttpClient.Version.HTTP_1_1);
    ChildReport.create()
        .put("ready", true)
        .put("agent_available", AlterUserSecrets.available())
        .put("api_from_boot_loader", AlterUserSecrets.class.getClassLoader() == null)
        .print();
    CommandLoop.create()
        .on("request", line -> http.request(RequestLine.parse(line)))
        .on(
            "store",
            arguments -> {
              String[] a = arguments.split(" ");
              char[] key = a[2].toCharArray();
              ChildReport report = ChildReport.create();
              try {
                report(report, AlterUserSecrets.store(a[0], a[1], key));
              } catch (Exception e) {
                report.error(e);
              }
              return report.put("key_cleared", new String(key).chars().allMatch(c -> c == 0));
            })
        .on(
            "delete",
            arguments -> {
              String[] a = arguments.split(" ");
              return ChildReport.create().put("deleted", AlterUserSecrets.delete(a[0], a[1]));
            })
        .on(
            "status",
            arguments -> {
              String[] a = arguments.split(" ");
              return report(ChildReport.create(), AlterUserSecrets.status(a[0], a[1]));
            })
        .on(
            "store-named",
            arguments -> {
              String[] a = arguments.split(" ");
              char[] key = a[3].toCharArray();
              ChildReport report = ChildReport.create();
              try {
                report(report, AlterUserSecrets.store(a[0], a[1], a[2], key));
              } catch (Exception e) {
                report.error(e);
              }
              return report.put("key_cleared", new String(key).chars().allMatch(c -> c == 0));
            })
        .on(
            "delete-named",
            arguments -> {
              String[] a = arguments.split(" ");
              return ChildReport.create().put("deleted", AlterUserSecrets.delete(a[0], a[1], a[2]));
            })
        .on(
            "status-named",
            arguments -> {
              String[] a = arguments.split(" ");
              return report(ChildReport.create(), AlterUserSecrets.status(a[0], a[1], a[2]));
            })
        .run();
  }

  private static ChildReport report(ChildReport report, UserSecretStatus status) {
    return report
        .put("provider", status.provider())
        .put("name", status.name())
        .put("stored", status.stored())
        .put("fingerprint", status.fingerprint())
        .put("updated_at", status.updatedAt())
        .put("grant_id", status.grantId());
  }
}
