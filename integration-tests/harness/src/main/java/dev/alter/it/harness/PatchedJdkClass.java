package dev.alter.it.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * A class of a JDK's own HTTP client, read from that JDK's runtime image and changed the way a
 * future JDK could change it, put in front of its module with {@code --patch-module}: the tests
 * that prove a JDK client whose internals the hooks do not fit fails closed.
 */
public final class PatchedJdkClass {
  /** The JVM's limit on one method's bytecode. */
  private static final int MAX_CODE_LENGTH = 65_535;

  /** Left free after padding: less than any hook's advice, more than nothing. */
  private static final int SPARE_BYTES = 30;

  private PatchedJdkClass() {}

  /**
   * Pads one method of {@code runtime}'s class with no-ops until it is {@link #SPARE_BYTES} short
   * of the JVM's 64 KiB code limit: the JDK runs as before, but no advice fits into the method, so
   * weaving its class fails.
   *
   * @return the JVM argument that patches the class into {@code module}
   */
  public static String padMethod(
      JavaRuntime runtime,
      Path directory,
      String module,
      String className,
      String method,
      String descriptor) {
    String entry = className.replace('.', '/') + ".class";
    byte[] original = read(runtime.home(), module, entry);
    int length = codeLength(original, method, descriptor);
    byte[] padded = pad(original, method, descriptor, MAX_CODE_LENGTH - SPARE_BYTES - length);
    Path moduleDir = directory.resolve(runtime.name()).resolve(module);
    try {
      Path target = moduleDir.resolve(entry);
      Files.createDirectories(target.getParent());
      Files.write(target, padded);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return "--patch-module=" + module + "=" + moduleDir.toAbsolutePath();
  }

  private static byte[] read(Path javaHome, String module, String entry) {
    try (FileSystem image =
        FileSystems.newFileSystem(URI.create("jrt:/"), Map.of("java.home", javaHome.toString()))) {
      return Files.readAllBytes(image.getPath("modules", module, entry));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static int codeLength(byte[] bytes, String name, String descriptor) {
    int[] length = {-1};
    ClassReader reader = new ClassReader(bytes);
    ClassWriter writer = new ClassWriter(reader, 0);
    reader.accept(
        new ClassVisitor(Opcodes.ASM9, writer) {
          @Override
          public MethodVisitor visitMethod(
              int access, String method, String desc, String signature, String[] exceptions) {
            MethodVisitor visitor = super.visitMethod(access, method, desc, signature, exceptions);
            if (!method.equals(name) || !desc.equals(descriptor)) {
              return visitor;
            }
            return new MethodVisitor(Opcodes.ASM9, visitor) {
              @Override
              public void visitMaxs(int maxStack, int maxLocals) {
                Label end = new Label();
                super.visitLabel(end);
                length[0] = end.getOffset();
                super.visitMaxs(maxStack, maxLocals);
              }
            };
          }
        },
        0);
    if (length[0] < 0) {
      throw new IllegalArgumentException("no method " + name + descriptor);
    }
    return length[0];
  }

  private static byte[] pad(byte[] bytes, String name, String descriptor, int nops) {
    ClassReader reader = new ClassReader(bytes);
    ClassWriter writer = new ClassWriter(reader, 0);
    reader.accept(
        new ClassVisitor(Opcodes.ASM9, writer) {
          @Override
          public MethodVisitor visitMethod(
              int access, String method, String desc, String signature, String[] exceptions) {
            MethodVisitor visitor = super.visitMethod(access, method, desc, signature, exceptions);
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
        },
        0);
    return writer.toByteArray();
  }
}
