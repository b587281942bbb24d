import "server-only";

// The provider service: the one place where the rules live, used by route handlers and server actions.
export { criarProvedor } from "./criar";
export { atualizarProvedor } from "./atualizar";
export { excluirProvedor } from "./excluir";
export { obterProvedor, listarProvedores, listarProvedoresAtivos } from "./consultar-provedores";
export { testarConexao } from "./testar";
export { listarModelosProvedor, lerModelosEmCache } from "./cache-de-modelos";
export { carregarModelo, descarregarModelo, excluirModelo, gerenciarModelo } from "./gerenciar-modelos";
export { cancelarDownload, eventosDoDownload, iniciarDownload, listarDownloads, mudancasDoDownload, obterDownload } from "./baixar-modelos";
export { descobrirServidores } from "./descobrir";
export { obterDisponibilidade } from "./disponibilidade";
