import "server-only";

// The provider service: the one place where the rules live, used by route handlers and server actions.
export { criarProvedor } from "./criar";
export { atualizarProvedor } from "./atualizar";
export { excluirProvedor } from "./excluir";
export { obterProvedor, listarProvedores, listarProvedoresAtivos } from "./consultar";
export { testarConexao } from "./testar";
export { listarModelosProvedor, lerModelosEmCache } from "./modelos";
export { obterEstatisticas } from "../estatisticas/consultar";
export { listarRequisicoesRecentes } from "../estatisticas/recentes";
export { carregarModelo, descarregarModelo, excluirModelo, gerenciarModelo } from "./gerenciar-modelos";
export { cancelarDownload, eventosDoDownload, iniciarDownload, listarDownloads, obterDownload } from "./downloads";
export { descobrirServidores } from "./descobrir";
export { obterDisponibilidade } from "./disponibilidade";
