// Which registry an image reference lives on, and whether that registry is ECR (needs a login).

/** The registry host of an image reference (`host[:port]/repo:tag`); Docker Hub when none is named. */
export function registryHost(imageRef: string): string {
  const slash = imageRef.indexOf('/');
  const first = slash === -1 ? '' : imageRef.slice(0, slash);
  return /[.:]/.test(first) || first === 'localhost' ? first : 'docker.io';
}

const ECR_HOST = /^\d{12}\.dkr\.ecr(?:-fips)?\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?$/;

/** The AWS region of an ECR registry host (`<account>.dkr.ecr.<region>.amazonaws.com`), else undefined. */
export function ecrRegion(host: string): string | undefined {
  return ECR_HOST.exec(host)?.[1];
}
