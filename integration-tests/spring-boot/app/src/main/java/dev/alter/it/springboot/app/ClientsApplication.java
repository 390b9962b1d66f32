package dev.alter.it.springboot.app;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * An ordinary Spring Boot application that calls HTTP APIs through every client Spring offers
 * ({@link AppClients}), driven line by line from stdin by {@link CommandRunner}. Started with
 * {@code java -jar alter-it-spring-boot-app.jar}: Boot's launcher, nested jars and class loader.
 */
@SpringBootApplication
public class ClientsApplication {
  public static void main(String[] args) {
    // the command runner returns when stdin ends or at once with --exit; the clients' pools and
    // threads then go with the context
    System.exit(SpringApplication.exit(SpringApplication.run(ClientsApplication.class, args)));
  }
}
