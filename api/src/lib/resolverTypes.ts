import type { GraphQLResolveInfo } from 'graphql'

/**
 * Types for resolvers whose parent is the Prisma row a query returned.
 *
 * Redwood's generated resolver types take an SDL type's keys as the truth (redwoodjs/graphql#6896): a field
 * resolver's `root` lacks the row's columns that the SDL does not expose (`createdById`, `resendOfId`, …), and a
 * query must return every non-null SDL-only field (`Message.progress`, `MessageRecipient.timeline`, …) although
 * the type's own field resolvers compute them. Our queries return Prisma rows, so:
 *
 * - field resolvers are typed `RowResolvers<PrismaRow, XRelationResolvers>`: the generated argument and result
 *   types of every field, with the row as `root`;
 * - queries and mutations that return rows are typed by their generated argument types (`QuerymessageArgs`, …)
 *   and return what Prisma returns; those that return plain objects keep `QueryResolvers['x']`.
 */
type FieldResolver<F, Row, Result> = F extends (
  args: infer A,
  obj: { root: never; context: infer C; info: never }
) => infer R
  ? (args: A, obj: { root: Row; context: C; info: GraphQLResolveInfo }) => [Result] extends [never] ? R : Result
  : never

/**
 * `Results` names, for the fields that resolve to rows of their own (a page of recipients, a timeline), what they
 * really return; every other field keeps its generated result type.
 */
export type RowResolvers<Row, Resolvers, Results extends { [K in keyof Resolvers]?: unknown } = object> = {
  [K in keyof Resolvers]?: FieldResolver<
    NonNullable<Resolvers[K]>,
    Row,
    K extends keyof Results ? Results[K] | Promise<Results[K]> : never
  >
}
