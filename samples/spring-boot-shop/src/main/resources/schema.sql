CREATE TABLE IF NOT EXISTS product (
    id          BIGINT PRIMARY KEY,
    name        VARCHAR(100) NOT NULL,
    stock       INT          NOT NULL CHECK (stock >= 0),
    price_cents BIGINT       NOT NULL,
    version     BIGINT       NOT NULL
);
CREATE TABLE IF NOT EXISTS orders (
    id         BIGSERIAL PRIMARY KEY,
    product_id BIGINT NOT NULL REFERENCES product (id),
    quantity   INT    NOT NULL
);
