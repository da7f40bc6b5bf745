/** The shapes the funnel views read, as the typed client infers them from the routes. */
import type { InferRequestType, InferResponseType } from 'hono/client';
import type { api } from '../../api';

export type Funnel = InferResponseType<(typeof api.funnels)[':id']['$get'], 200>;
export type FunnelPage = Funnel['pages'][number];

export type FunnelPatch = InferRequestType<(typeof api.funnels)[':id']['$patch']>['json'];
export type StageSettings = NonNullable<NonNullable<FunnelPatch['settings']>['stages']>;
export type NewPage = InferRequestType<(typeof api.funnels)[':id']['pages']['$post']>['json'];
