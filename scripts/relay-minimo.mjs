// The floor for `npm run bench`: the least a Node.js program can do between a client and an LLM server
// (read the body, forward it over a kept-alive connection, pipe the answer back). No routing, no checks,
// no statistics. What the app adds above this is the app's own cost; what this adds is Node's and the machine's.
import http from "node:http";

const alvo = new URL(process.argv[2] ?? "http://127.0.0.1:8080");
const agente = new http.Agent({ keepAlive: true, maxSockets: 256 });

const servidor = http.createServer((req, res) => {
  const partes = [];
  req.on("data", (p) => partes.push(p));
  req.on("end", () => {
    const corpo = Buffer.concat(partes);
    const pedido = http.request(
      {
        host: alvo.hostname,
        port: alvo.port,
        path: req.url,
        method: req.method,
        agent: agente,
        headers: { "content-type": "application/json", "content-length": corpo.byteLength },
      },
      (resposta) => {
        res.writeHead(resposta.statusCode ?? 502, { "content-type": resposta.headers["content-type"] ?? "application/json" });
        resposta.pipe(res);
      },
    );
    pedido.on("error", () => res.destroy());
    pedido.end(corpo);
  });
});
servidor.listen(0, "127.0.0.1", () => {
  const { port } = /** @type {import("node:net").AddressInfo} */ (servidor.address());
  console.log(JSON.stringify({ url: `http://127.0.0.1:${port}` }));
});
