// The V8 options of the app's process, in one place: `npm start` (package.json, checked by a test), the tests
// and the benchmarks start the server with them. What each one buys: README, "Memória".
// --max-semi-space-size=4: a young generation of 2×4 MiB instead of up to 2×16 MiB, which stays resident once
//   grown; scavenges stay short (what survives them is the requests in flight) and throughput is unchanged.
// --heap-growing-percent=50: the old generation grows by 1.5× between full collections instead of up to 4×,
//   so a burst of requests peaks near 190 MiB instead of above 300 MiB.
// --v8-pool-size=1: one V8 helper thread instead of four (each thread that allocates keeps its own malloc
//   arena): 3–6 MiB less at rest and at the peak, with the same tail and CPU per request on 2 cores.
export const OPCOES_NODE = ["--max-semi-space-size=4", "--heap-growing-percent=50", "--v8-pool-size=1"];
