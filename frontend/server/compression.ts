import type { Request, RequestHandler, Response } from "express";
import compression from "compression";

/**
 * gzip for documents and assets, never for Server-Sent Events: compressing a stream buffers tokens until a
 * zlib block fills, which would make replies arrive in bursts instead of token by token.
 */
export function compressionExceptEventStreams(): RequestHandler {
  return compression({
    filter: (req: Request, res: Response) => {
      const type = res.getHeader("Content-Type");
      if (typeof type === "string" && type.toLowerCase().startsWith("text/event-stream")) return false;
      return compression.filter(req, res);
    },
  });
}
