import type { Catalogo, ModeloNoProvedor } from "../../gateway/catalogo";

const TAG_PADRAO = ":latest";

/**
 * A model id as Ollama clients expect it, `name:tag`: an id without a tag (llama.cpp's alias, LM Studio's
 * `publisher/name`) gets `:latest`, as Ollama itself names an untagged model. A tag is a `:` in the last path
 * segment (a registry host's port is not one).
 */
export function nomeOllama(id: string): string {
  return id.slice(id.lastIndexOf("/") + 1).includes(":") ? id : `${id}${TAG_PADRAO}`;
}

/** The catalogue's entries for an id as the pipeline reads it: bare (any provider), or `<slug>/<model>` (one). */
function entradas(catalogo: Catalogo, id: string): ModeloNoProvedor[] {
  const barra = id.indexOf("/");
  if (barra > 0) {
    const provedor = catalogo.porSlug.get(id.slice(0, barra));
    const fixo = provedor && catalogo.porModelo.get(id.slice(barra + 1))?.filter((m) => m.provedor.id === provedor.id);
    if (fixo?.length) return fixo;
  }
  return catalogo.porModelo.get(id) ?? [];
}

/**
 * The catalogue id an Ollama client's name stands for: the name itself when some provider has it; else the
 * name without the `:latest` this door added (`tiny:latest` → llama.cpp's `tiny`); else the name with it
 * (`llama3.2` → Ollama's `llama3.2:latest`, as Ollama reads an untagged name). A name no provider has is kept
 * as sent: the pipeline refreshes the model lists once and answers 404 if it is still unknown.
 */
export function idDoCatalogo(catalogo: Catalogo, nome: string): { id: string; entradas: ModeloNoProvedor[] } {
  const opcoes = [nome];
  if (nome.endsWith(TAG_PADRAO)) opcoes.push(nome.slice(0, -TAG_PADRAO.length));
  else if (nomeOllama(nome) !== nome) opcoes.push(nomeOllama(nome));
  for (const id of opcoes) {
    const achadas = entradas(catalogo, id);
    if (achadas.length) return { id, entradas: achadas };
  }
  return { id: nome, entradas: [] };
}
