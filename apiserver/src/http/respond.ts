// Writing responses: JSON by default, YAML when asked, Tables for kubectl's human output,
// and warnings collected during the request as `Warning: 299 - "..."` headers.
import type { FastifyReply } from 'fastify';
import type { KubeObject } from '@k8ts/shared';
import type { ResourceDef } from '../registry/types.js';
import { toYaml, type AcceptInfo } from './negotiate.js';
import { partialMetadata, tableOf } from './table.js';

export function send(reply: FastifyReply, code: number, body: unknown, accept?: AcceptInfo): void {
  const warnings = (reply.request as { k8tsWarnings?: string[] }).k8tsWarnings;
  if (warnings?.length) reply.header('Warning', warnings.map((w) => `299 - ${JSON.stringify(w)}`).join(', '));
  if (accept?.yaml) {
    void reply.code(code).type('application/yaml').send(toYaml(body));
    return;
  }
  void reply.code(code).type('application/json').send(JSON.stringify(body));
}

/** One object, as Table / PartialObjectMetadata / itself depending on Accept. */
export function sendObject(reply: FastifyReply, code: number, def: ResourceDef, obj: KubeObject, accept: AcceptInfo): void {
  if (accept.table) return send(reply, code, tableOf(def, [obj], { resourceVersion: obj.metadata.resourceVersion }), accept);
  if (accept.partialMetadata) return send(reply, code, partialMetadata(obj), accept);
  send(reply, code, obj, accept);
}
