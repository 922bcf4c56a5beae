import { Type } from 'typebox';
import { Currency, LojalId, Timestamp } from '../../schemas.ts';

export const ShopView = Type.Object({
  id: Type.String({ examples: ['shop_01jd4x3m5k8q9r2s7t6v5w4x3y'] }),
  name: Type.String(),
  currency: Currency,
  timezone: Type.String(),
  createdAt: Timestamp,
});

export const CreateShopBody = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 200 }),
  currency: Currency,
  timezone: Type.Optional(Type.String({ maxLength: 64, description: 'IANA time zone, default UTC' })),
});

export const Credentials = Type.Object({
  apiKey: Type.String({ description: 'Shown once; stored hashed' }),
  webhookSecret: Type.String({ description: 'Shown once; stored encrypted' }),
});

export const CreatedShop = Type.Object({ shop: ShopView, apiKey: Credentials.properties.apiKey, webhookSecret: Credentials.properties.webhookSecret });

export const ShopIdParams = Type.Object({ shopId: LojalId });
export const KeyParams = Type.Object({ shopId: LojalId, keyId: LojalId });

export const RotateBody = Type.Object({
  overlapHours: Type.Optional(
    Type.Integer({ minimum: 0, maximum: 720, default: 24, description: 'How long the old key and secret keep working' }),
  ),
});

export const Rotated = Type.Object({
  apiKey: Type.String(),
  webhookSecret: Type.String(),
  previousExpireAt: Timestamp,
});

export const ApiKeyView = Type.Object({
  id: Type.String(),
  prefix: Type.String({ description: 'The first characters of the key, to tell keys apart' }),
  createdAt: Timestamp,
  expiresAt: Type.Union([Timestamp, Type.Null()]),
  revokedAt: Type.Union([Timestamp, Type.Null()]),
});

export const ShopDetail = Type.Object({ shop: ShopView, apiKeys: Type.Array(ApiKeyView) });
