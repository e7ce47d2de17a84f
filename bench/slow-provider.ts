/** The scripted routing provider with a fixed model latency (BENCH_LATENCY_MS, default 200), for `bench/eval.ts`. */
import { createRoutingProvider } from '../test/fixtures/eval/scripted-routing.js';

const latency = Number(process.env.BENCH_LATENCY_MS ?? 200);
export const provider = createRoutingProvider({ onCall: () => new Promise((resolve) => setTimeout(resolve, latency)) });
