/**
 * What the read service depends on, as its gRPC health service names (`dependency.<name>`): the
 * contract between the read service, which publishes them, and every /health that reports them.
 * It lives here, not in read-service/, because health/ must not import the read service.
 */
export const READ_DEPENDENCIES = ['kafka', 'redis', 'mongo'] as const;
export type ReadDependency = (typeof READ_DEPENDENCIES)[number];

/** The health service name of one dependency, e.g. `grpc_health_probe -service=dependency.mongo`. */
export const dependencyServiceName = (dependency: ReadDependency): string => `dependency.${dependency}`;
