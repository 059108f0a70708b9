// JSON bodies only, UTF-8 only (RFC 8259), bounded in size. The Content-Type check comes first
// so a wrong type is a 415 even when the body would not parse.

import express, { type RequestHandler } from "express";
import { AppError } from "../errors.js";

const CHARSET = /;\s*charset\s*=\s*"?([^";\s]+)"?/i;

export function jsonBody(limitBytes: number): RequestHandler[] {
  const requireJson: RequestHandler = (req, _res, next) => {
    if (!req.is("application/json")) {
      next(new AppError("unsupported_media_type", "Content-Type must be application/json"));
      return;
    }
    const charset = CHARSET.exec(req.get("content-type") ?? "")?.[1]?.toLowerCase();
    if (charset !== undefined && charset !== "utf-8" && charset !== "utf8") {
      next(new AppError("unsupported_media_type", "request body must be UTF-8 encoded JSON"));
      return;
    }
    next();
  };
  return [requireJson, express.json({ limit: limitBytes, strict: true, type: "application/json" })];
}
