/**
 * A known Podman gap, not a fault of ours: its Docker-API image listing fails when another process removes an
 * image while it lists (that image's ID, then "image not known" or "retrieving label for image"). The docker
 * provider lists images when it reads a docker_image; other test files, and other users of the machine's Podman
 * storage, remove images at any time, more often when test files run in parallel. Callers retry once on it; a
 * second failure, or any other, still fails their test.
 */
export function podmanListingRace(output: string): boolean {
  return /locating image with ID "[0-9a-f]+": image not known|unable to list Docker images: Error response from daemon: retrieving label for image "[0-9a-f]+"/.test(
    output,
  );
}
