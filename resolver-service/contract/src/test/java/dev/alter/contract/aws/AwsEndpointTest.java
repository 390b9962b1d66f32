package dev.alter.contract.aws;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class AwsEndpointTest {
  @ParameterizedTest
  @CsvSource({
    "s3.us-east-1.amazonaws.com, us-east-1, s3",
    "bucket.s3.eu-west-1.amazonaws.com, eu-west-1, s3",
    "my.dotted.bucket.s3.eu-west-1.amazonaws.com, eu-west-1, s3",
    "s3.amazonaws.com, us-east-1, s3",
    "bucket.s3.amazonaws.com, us-east-1, s3",
    "s3-eu-west-1.amazonaws.com, eu-west-1, s3",
    "s3-external-1.amazonaws.com, us-east-1, s3",
    "s3.dualstack.ap-southeast-2.amazonaws.com, ap-southeast-2, s3",
    "s3-fips.us-gov-west-1.amazonaws.com, us-gov-west-1, s3",
    "bedrock-runtime.us-west-2.amazonaws.com, us-west-2, bedrock",
    "sts.amazonaws.com, us-east-1, sts",
    "sts.eu-central-1.amazonaws.com, eu-central-1, sts",
    "iam.amazonaws.com, us-east-1, iam",
    "lambda.eu-west-1.amazonaws.com, eu-west-1, lambda",
    "email.eu-west-1.amazonaws.com, eu-west-1, ses",
    "streams.dynamodb.us-east-1.amazonaws.com, us-east-1, dynamodb",
    "abc123.execute-api.us-east-1.amazonaws.com, us-east-1, execute-api",
    "s3.cn-north-1.amazonaws.com.cn, cn-north-1, s3"
  })
  void regionAndServiceComeFromTheHost(String host, String region, String service) {
    AwsEndpoint endpoint = AwsEndpoint.fromHost(host);
    assertThat(endpoint.region()).isEqualTo(region);
    assertThat(endpoint.service()).isEqualTo(service);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"localhost", "127.0.0.1", "minio.internal", "amazonaws.com", "evilamazonaws.com"})
  void hostsOutsideAwsSayNothing(String host) {
    assertThat(AwsEndpoint.fromHost(host)).isNull();
  }
}
