// The part of autocannon's API that bench/api-load.ts uses (autocannon ships no types).
declare module 'autocannon' {
  type Histogram = { average: number; mean: number; p50: number; p90: number; p99: number; max: number; total: number };
  type Result = { latency: Histogram; requests: Histogram & { sent: number }; errors: number; timeouts: number; non2xx: number; '2xx': number };
  type Options = {
    url: string;
    connections?: number;
    duration?: number;
    headers?: Record<string, string>;
    requests?: Array<{ method?: string; path?: string; setupRequest?: (req: { path: string }) => { path: string } }>;
  };
  function autocannon(options: Options): Promise<Result>;
  export default autocannon;
}
