export declare const OPCOES_NODE: string[];
