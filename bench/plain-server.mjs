// The baseline: the same JSON as the app's /api/health from bare node:http, loopback only.
import { createServer } from 'node:http'

const body = JSON.stringify({ ok: true })
const port = Number(process.env.PORT)

createServer((_req, res) => {
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) })
  res.end(body)
}).listen(port, '127.0.0.1')
