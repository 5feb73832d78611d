/**
 * What a resolver's result is once GraphQL has awaited it. Redwood's generated result types allow a promise
 * at every level (`ResolverTypeWrapper<T> = Promise<T> | T`, also for each item of a list); our services
 * return plain data inside the one promise they return, and tests read it as such.
 */
export type Resolved<T> =
  T extends Promise<infer U>
    ? Resolved<U>
    : T extends Date | ((...args: never[]) => unknown)
      ? T
      : T extends (infer E)[]
        ? Resolved<E>[]
        : T extends object
          ? { [K in keyof T]: Resolved<T[K]> }
          : T

/** Calls a service resolver as GraphQL would, with an empty root, context and info. */
export async function callResolver<A, R>(resolver: (args: A, obj: never) => R, args: A): Promise<Resolved<R>> {
  const call = resolver as unknown as (args: A, obj: { root: object; context: object; info: object }) => R
  return (await call(args, { root: {}, context: {}, info: {} })) as Resolved<R>
}
