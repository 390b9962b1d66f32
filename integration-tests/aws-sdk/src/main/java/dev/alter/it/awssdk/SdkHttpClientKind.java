package dev.alter.it.awssdk;

import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;

/**
 * The SDK's three blocking HTTP clients. Each child JVM has exactly one of them on its class path,
 * so only that one's classes are ever loaded (the others' builders are never called).
 */
enum SdkHttpClientKind {
  APACHE5("apache5") {
    @Override
    SdkHttpClient.Builder<?> builder() {
      return Apache5HttpClient.builder();
    }
  },
  APACHE4("apache4") {
    @Override
    SdkHttpClient.Builder<?> builder() {
      return ApacheHttpClient.builder();
    }
  },
  URL_CONNECTION("urlconnection") {
    @Override
    SdkHttpClient.Builder<?> builder() {
      return UrlConnectionHttpClient.builder();
    }
  };

  private final String id;

  SdkHttpClientKind(String id) {
    this.id = id;
  }

  abstract SdkHttpClient.Builder<?> builder();

  String id() {
    return id;
  }

  static SdkHttpClientKind of(String id) {
    for (SdkHttpClientKind kind : values()) {
      if (kind.id.equals(id)) {
        return kind;
      }
    }
    throw new IllegalArgumentException("unknown SDK HTTP client " + id);
  }
}
