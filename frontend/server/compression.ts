import type { RequestHandler } from "express";
import compression from "compression";

/**
 * gzip for documents and assets, never for Server-Sent Events: compressing a stream buffers tokens until a
 * zlib block fills, which would make replies arrive in bursts instead of token by token.
 */
export function compressionExceptEventStreams(): RequestHandler {
  const middleware = compression({
    filter: (req, res) => {
      const type = res.getHeader("Content-Type");
      if (typeof type === "string" && type.toLowerCase().startsWith("text/event-stream")) return false;
      return compression.filter(req, res);
    },
  });
  // @types/compression may resolve a different @types/express major than this workspace; the runtime is the same.
  return middleware as unknown as RequestHandler;
}
