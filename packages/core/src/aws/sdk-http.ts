// The SDK parts the port uses, each behind its own module so that a bundle of a command keeps
// only what the port names (a dynamic import of the package itself keeps all of it: for the
// HTTP handler, the HTTP/2 one and node:http2 with it).
export { NodeHttpHandler } from '@smithy/node-http-handler';
