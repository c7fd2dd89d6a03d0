INSERT INTO product (id, name, stock, price_cents, version) VALUES (1, 'widget', 20, 1999, 1) ON CONFLICT (id) DO NOTHING;
INSERT INTO product (id, name, stock, price_cents, version) VALUES (2, 'gadget', 1000, 4999, 1) ON CONFLICT (id) DO NOTHING;
