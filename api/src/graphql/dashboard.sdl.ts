export const schema = gql`
  "How wide one point of the delivery time series is."
  enum StatsBucketSize {
    HOUR
    DAY
  }

  "Failed recipients that share one Sinch code (null: the report carried no code)."
  type FailureCodeCount {
    code: Int
    "Sinch's name for the code, when it is in Sinch's table."
    name: String
    meaning: String!
    count: Int!
  }

  "Recipients of the messages created in one bucket, by where they stand now."
  type DeliveryStatsBucket {
    "Where the bucket starts; it runs for one bucketSize."
    start: DateTime!
    delivered: Int!
    failed: Int!
    inFlight: Int!
  }

  "Delivery across the recipients of every message created in [from, to)."
  type DeliveryStats {
    from: DateTime!
    to: DateTime!
    "The IANA time zone the day buckets follow."
    timeZone: String!
    bucketSize: StatsBucketSize!
    totalRecipients: Int!
    "Delivered, failed for good, or in another final status."
    final: Int!
    delivered: Int!
    "In a failure status (Failed, Rejected, Expired, Unknown...)."
    failed: Int!
    "Not final yet (Pending, Queued, Dispatched...)."
    inFlight: Int!
    "delivered / final, from 0 to 1; null while nothing is final."
    deliveryRate: Float
    "Median time from submission to delivery, in milliseconds."
    medianTimeToDeliverMs: Int
    "95th percentile of the time from submission to delivery, in milliseconds."
    p95TimeToDeliverMs: Int
    "How many delivered recipients the two times are computed over."
    timedDeliveries: Int!
    "Recipients per final status, most first."
    finalStatusCounts: [StatusCount!]!
    "The five most common codes among failed recipients, most first."
    topFailureCodes: [FailureCodeCount!]!
    "One point per hour (periods up to 2 days) or per day, oldest first, empty buckets included."
    series: [DeliveryStatsBucket!]!
  }

  "What deliveryStats takes, so the dashboard says so before asking."
  type DeliveryStatsLimits {
    "The longest period, in days (24-hour days, as 'to' minus 'from')."
    maxPeriodDays: Int!
  }

  type Query {
    deliveryStatsLimits: DeliveryStatsLimits! @requireAuth
    """
    Delivery over the messages created from 'from' (inclusive) to 'to' (exclusive), at most 366 days.
    timeZone (IANA, default UTC) sets where day buckets start.
    """
    deliveryStats(from: DateTime!, to: DateTime!, timeZone: String): DeliveryStats! @requireAuth
  }
`
