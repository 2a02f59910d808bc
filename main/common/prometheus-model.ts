/**
 * An environment's Prometheus, as the window and the CLI see it: where it is reached (a URL, or a
 * Kubernetes service through the API server's proxy) and which metric names and label it reads.
 * Credentials (a URL's user and password, the context's token) never appear here.
 */
import { z } from 'zod';

/** Metric names and the label that names a service, each with the sample services' default. */
export interface PrometheusMetricNames {
  /** Counter of answered requests, with `route` and `status` labels. */
  requests: string;
  /** The latency histogram's `_bucket` series, seconds. */
  durationBucket: string;
  /**
   * The label whose value is a Docker service's name (Compose's service label relabelled, see
   * docs/prometheus.md). For Kubernetes, absent: a workload's pods are found by `namespace` and `pod`.
   */
  serviceLabel?: string;
}

export const DEFAULT_METRIC_NAMES: Readonly<Required<Omit<PrometheusMetricNames, 'serviceLabel'>>> = {
  requests: 'http_requests_total',
  durationBucket: 'http_request_duration_seconds_bucket',
};
export const DEFAULT_DOCKER_SERVICE_LABEL = 'service';

export interface PrometheusServiceRef {
  namespace: string;
  name: string;
  port: number | string;
}

/** What Environment.prometheus shows. */
export interface PrometheusView {
  /** The URL without user or password; absent for a service reached through the API server. */
  url?: string;
  service?: PrometheusServiceRef;
  metricNames: PrometheusMetricNames;
  scrapeIntervalSeconds: number;
}

export const DEFAULT_SCRAPE_INTERVAL_SECONDS = 15;

const metricName = z
  .string()
  .trim()
  .max(200)
  .regex(/^[a-zA-Z_:][a-zA-Z0-9_:]*$/, 'A metric name has letters, digits, _ and : only, and does not start with a digit.');
const labelName = z
  .string()
  .trim()
  .max(200)
  .regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/, 'A label name has letters, digits and _ only, and does not start with a digit.');
const dnsLabel = z
  .string()
  .trim()
  .min(1)
  .max(63)
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'a lower-case DNS label (letters, digits, -)');

/** `environments.setPrometheus`: a URL or a service (Kubernetes), neither to clear it. */
export const setPrometheusParams = z
  .object({
    id: z.string().min(1).max(300),
    url: z
      .string()
      .trim()
      .max(2000)
      // A host after the scheme (and an optional user:password@); the core parses the rest.
      .regex(
        /^https?:\/\/([^\s/?#@]+@)?(\[[0-9a-f:.]+\]|[^\s/?#@:[\]]+)(:\d{1,5})?([/?#]\S*)?$/i,
        'Give the address as http://host:port or https://host:port, e.g. http://127.0.0.1:9090.',
      )
      .optional(),
    service: z
      .object({
        namespace: dnsLabel,
        name: dnsLabel,
        port: z.union([
          z.number().int().min(1).max(65535),
          z
            .string()
            .trim()
            .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'a port number or name'),
        ]),
      })
      .strict()
      .optional(),
    metricNames: z.object({ requests: metricName.optional(), durationBucket: metricName.optional(), serviceLabel: labelName.optional() }).strict().optional(),
    /** Its scrape interval, for rate windows (at least four scrapes); default 15 s, Prometheus's own default. */
    scrapeIntervalSeconds: z.number().min(1, 'The scrape interval is at least 1 s.').max(3600, 'The scrape interval is at most an hour.').optional(),
  })
  .strict()
  .refine((p) => !(p.url && p.service), 'Name either a URL or a service, not both.');
