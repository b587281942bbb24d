import { listarCatalogo } from "../../catalogo";
import type { Manipulador } from "../../portas/troca";
import { lerConsulta } from "../consulta";
import { respostaJson } from "./respostas";

/** GET /api/modelos?carregado=&tipo=&capacidade=&q=: every model of every active server, from the cache. */
export const listar: Manipulador = async (p) => respostaJson(200, await listarCatalogo(lerConsulta(p.consulta)));
