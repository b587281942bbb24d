import "server-only";

// The access-key service: the one place where the rules of keys live, for the REST routes and the pages.
export { criarChave } from "./criar";
export { atualizarChave } from "./atualizar";
export { revogarChave } from "./revogar";
export { chaveDoSegredo, listarChaves, obterChave } from "./consultar";
