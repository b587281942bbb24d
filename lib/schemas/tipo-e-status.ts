// The provider's closed value sets: part of the contract (zod schemas, pages, JSON) and the columns' enums in db/.

export const TIPOS_PROVEDOR = ["lm_studio", "llama_cpp", "ollama", "openai_compativel"] as const;
export type TipoProvedor = (typeof TIPOS_PROVEDOR)[number];

/**
 * `carregando`: it answers but is loading a model (llama.cpp's 503); `instavel`: it answers, but has just
 * failed or is slow; `offline` after 3 failures in a row; `erro`: it answers, wrongly (bad key, not this type).
 */
export const STATUS_PROVEDOR = ["desconhecido", "online", "carregando", "instavel", "offline", "erro"] as const;
export type StatusProvedor = (typeof STATUS_PROVEDOR)[number];
