export interface Shop {
  id: string;
  name: string;
  currency: string;
  timezone: string;
  createdAt: Date;
}

export interface ApiKeyInfo {
  id: string;
  prefix: string;
  createdAt: Date;
  expiresAt: Date | null;
  revokedAt: Date | null;
}

/** Who is calling: resolved from the bearer key by the auth plugin, passed to every shop-scoped service. */
export interface ShopPrincipal {
  shopId: string;
  keyId: string;
}

export interface NewShopCredentials {
  shop: Shop;
  apiKey: string;
  webhookSecret: string;
}
