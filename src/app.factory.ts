import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { INestApplication, LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import express from 'express';
import { AppModule } from './app.module';
import { InfrastructureOptions } from './database/infrastructure.module';

const API_PREFIXES = ['/graphql', '/socket.io', '/access/', '/reports/', '/calendar/', '/me/'];

export interface CreateAppOptions extends InfrastructureOptions {
  logger?: LogLevel[] | false;
  /** Folder of the built web client; served at / when present. */
  clientDir?: string | null;
}

/** Builds the whole application; main.ts and the tests wire it the same way. */
export async function createApp(options: CreateAppOptions): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(options), {
    logger: options.logger ?? ['log', 'warn', 'error'],
    bodyParser: false,
  });
  // The raw body is kept for the door API, whose signatures cover the exact bytes sent.
  app.use(
    express.json({
      limit: '256kb',
      // The door API signs the raw bytes whatever Content-Type a controller sends (or none).
      type: (req) => req.url?.startsWith('/access/') === true || /^application\/json\b/i.test(String(req.headers['content-type'] ?? '')),
      verify: (req, _res, buffer) => {
        (req as express.Request & { rawBody?: Buffer }).rawBody = buffer;
      },
    }),
  );
  // A body that is not JSON, or too large, is the client's mistake: a JSON 400, never a stack trace.
  app.use((error: { type?: string; status?: number }, _req: express.Request, res: express.Response, next: express.NextFunction) => {
    if (error?.type === 'entity.parse.failed' || error?.type === 'entity.too.large' || error?.type === 'encoding.unsupported') {
      res.status(400).json({ error: 'BAD_REQUEST', message: error.type === 'entity.too.large' ? 'The body is too large.' : 'The body is not valid JSON.' });
      return;
    }
    next(error);
  });
  app.enableShutdownHooks();
  const clientDir = options.clientDir === undefined ? join(__dirname, '..', '..', 'client', 'dist') : options.clientDir;
  if (clientDir && existsSync(join(clientDir, 'index.html'))) {
    app.use(express.static(clientDir, { index: 'index.html', maxAge: '1h' }));
    app.use((req: express.Request, res: express.Response, next: express.NextFunction) => {
      const isPage = req.method === 'GET' && req.accepts('html') && !API_PREFIXES.some((prefix) => req.path.startsWith(prefix));
      if (isPage) res.sendFile(join(clientDir, 'index.html'));
      else next();
    });
  }
  return app;
}
