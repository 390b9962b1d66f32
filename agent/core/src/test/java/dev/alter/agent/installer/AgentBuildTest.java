package dev.alter.agent.installer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentBuildTest {
  @TempDir Path temp;

  @Test
  void aRebuildWithTheSameContentKeepsTheFingerprintAndAnyChangedEntryChangesIt()
      throws IOException {
    String first = AgentBuild.ofJar(jar("a.jar", "advice v1", "").toFile());
    String same = AgentBuild.ofJar(jar("b.jar", "advice v1", "").toFile());
    String changed = AgentBuild.ofJar(jar("c.jar", "advice v2", "").toFile());
    String commented = AgentBuild.ofJar(jar("d.jar", "advice v1", "a jar comment").toFile());

    assertThat(first).isNotNull().isEqualTo(same).isEqualTo(commented);
    assertThat(changed).isNotNull().isNotEqualTo(first);
  }

  @Test
  void aFileThatIsNoJarHasNoFingerprint() throws IOException {
    Path notAJar = Files.write(temp.resolve("x.jar"), "not a zip".getBytes(StandardCharsets.UTF_8));

    assertThat(AgentBuild.ofJar(notAJar.toFile())).isNull();
  }

  @Test
  void classesOutsideAJarHaveNone() {
    assertThat(AgentBuild.fingerprint(AgentBuildTest.class)).isNull();
  }

  private Path jar(String name, String advice, String comment) throws IOException {
    Path jar = temp.resolve(name);
    try (OutputStream out = Files.newOutputStream(jar);
        JarOutputStream zip = new JarOutputStream(out)) {
      zip.setComment(comment);
      for (String entry : new String[] {"inst/a/Advice.classdata", "inst/b/Other.classdata"}) {
        JarEntry jarEntry = new JarEntry(entry);
        jarEntry.setTime(0);
        zip.putNextEntry(jarEntry);
        zip.write((entry.startsWith("inst/a") ? advice : "other").getBytes(StandardCharsets.UTF_8));
        zip.closeEntry();
      }
    }
    return jar;
  }
}
