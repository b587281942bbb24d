import "server-only";
// Benchmarks per provider and model (issue 20): the run, its storage, progress and cancel.
export { cancelarOuExcluirBenchmark } from "./cancelar";
export { listarBenchmarks, listarTodosOsBenchmarks, obterBenchmark, obterBenchmarks } from "./consultar";
export { eventosDoBenchmark } from "./eventos";
export { iniciarBenchmark } from "./iniciar";
export { modelosParaBenchmark } from "./modelos";
