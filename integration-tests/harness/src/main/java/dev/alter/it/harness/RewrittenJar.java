package dev.alter.it.harness;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.commons.ClassRemapper;
import org.objectweb.asm.commons.Remapper;

/**
 * A real client jar with one of the internals the agent hooks changed, the way a future release
 * could change it, for the tests that prove a client the hooks do not fit fails closed. The copy
 * drops the jar's signature files (its classes no longer match them).
 */
public final class RewrittenJar {
  private RewrittenJar() {}

  /**
   * Renames every declaration of and call to the method {@code name}{@code descriptor} of the
   * {@code owners} (internal names: the interface and its implementations) in the jar, so the
   * client still works, under another method name.
   */
  public static Path renameMethod(
      Path jar, Path target, Set<String> owners, String name, String descriptor, String newName) {
    return rewrite(
        jar,
        target,
        entry -> true,
        writer ->
            new ClassRemapper(
                writer,
                new Remapper() {
                  @Override
                  public String mapMethodName(String owner, String methodName, String desc) {
                    return owners.contains(owner)
                            && methodName.equals(name)
                            && desc.equals(descriptor)
                        ? newName
                        : methodName;
                  }
                }));
  }

  /**
   * Pads one method's code with {@code nops} no-op instructions at its start: the client runs as
   * before, but the method is too close to the JVM's 64 KiB code limit for any advice to be woven
   * into it, so weaving its class fails.
   */
  public static Path padMethod(
      Path jar, Path target, String className, String name, String descriptor, int nops) {
    String entryName = className.replace('.', '/') + ".class";
    return rewrite(
        jar,
        target,
        entry -> entry.equals(entryName),
        writer ->
            new ClassVisitor(Opcodes.ASM9, writer) {
              @Override
              public MethodVisitor visitMethod(
                  int access, String method, String desc, String signature, String[] exceptions) {
                MethodVisitor visitor =
                    super.visitMethod(access, method, desc, signature, exceptions);
                if (!method.equals(name) || !desc.equals(descriptor)) {
                  return visitor;
                }
                return new MethodVisitor(Opcodes.ASM9, visitor) {
                  @Override
                  public void visitCode() {
                    super.visitCode();
                    for (int i = 0; i < nops; i++) {
                      super.visitInsn(Opcodes.NOP);
                    }
                  }
                };
              }
            });
  }

  /** {@code jars} with the jar whose file name starts with {@code prefix} replaced. */
  public static List<Path> replacing(List<Path> jars, String prefix, Path replacement) {
    List<Path> result = new ArrayList<>();
    boolean replaced = false;
    for (Path jar : jars) {
      if (!replaced && jar.getFileName().toString().startsWith(prefix)) {
        result.add(replacement);
        replaced = true;
      } else {
        result.add(jar);
      }
    }
    if (!replaced) {
      throw new IllegalArgumentException("no jar named " + prefix + "* in " + jars);
    }
    return result;
  }

  private static Path rewrite(
      Path jar,
      Path target,
      java.util.function.Predicate<String> rewritten,
      Function<ClassWriter, ClassVisitor> visitor) {
    try {
      Files.createDirectories(target.getParent());
      try (JarFile in = new JarFile(jar.toFile());
          JarOutputStream out = new JarOutputStream(Files.newOutputStream(target))) {
        Enumeration<JarEntry> entries = in.entries();
        while (entries.hasMoreElements()) {
          JarEntry entry = entries.nextElement();
          String name = entry.getName();
          if (name.startsWith("META-INF/") && isSignatureFile(name)) {
            continue;
          }
          byte[] bytes;
          try (InputStream stream = in.getInputStream(entry)) {
            bytes = stream.readAllBytes();
          }
          if (name.endsWith(".class")
              && !name.endsWith("module-info.class")
              && rewritten.test(name)) {
            ClassReader reader = new ClassReader(bytes);
            ClassWriter writer = new ClassWriter(reader, 0);
            reader.accept(visitor.apply(writer), 0);
            bytes = writer.toByteArray();
          }
          out.putNextEntry(new JarEntry(name));
          out.write(bytes);
          out.closeEntry();
        }
      }
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static boolean isSignatureFile(String name) {
    return name.endsWith(".SF")
        || name.endsWith(".RSA")
        || name.endsWith(".DSA")
        || name.endsWith(".EC");
  }
}
