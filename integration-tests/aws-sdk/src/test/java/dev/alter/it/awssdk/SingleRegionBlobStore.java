package dev.alter.it.awssdk;

import java.util.Set;
import org.jclouds.blobstore.BlobStore;
import org.jclouds.blobstore.options.CreateContainerOptions;
import org.jclouds.blobstore.util.ForwardingBlobStore;
import org.jclouds.domain.Location;
import org.jclouds.domain.LocationBuilder;
import org.jclouds.domain.LocationScope;

/**
 * The in-memory blob store presented as one AWS region. The SDK, configured for eu-west-1 as a real
 * app would be, sends CreateBucket with {@code LocationConstraint eu-west-1}; s3proxy accepts only
 * a constraint that names one of the blob store's assignable locations, and jclouds' transient
 * store has just its own ("transient"). Buckets are still created in that store.
 */
final class SingleRegionBlobStore extends ForwardingBlobStore {
  private final Location region;

  SingleRegionBlobStore(BlobStore delegate, String regionId) {
    super(delegate);
    this.region =
        new LocationBuilder()
            .scope(LocationScope.REGION)
            .id(regionId)
            .description(regionId)
            .build();
  }

  @Override
  public Set<? extends Location> listAssignableLocations() {
    return Set.of(region);
  }

  @Override
  public boolean createContainerInLocation(Location location, String container) {
    return delegate().createContainerInLocation(null, container);
  }

  @Override
  public boolean createContainerInLocation(
      Location location, String container, CreateContainerOptions options) {
    return delegate().createContainerInLocation(null, container, options);
  }
}
