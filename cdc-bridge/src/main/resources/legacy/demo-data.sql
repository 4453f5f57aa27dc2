-- A little legacy activity for a fresh local stack. Idempotent: existing rows are left alone.
INSERT INTO legacy.members (member_id, email, full_name, tier, new_user_id, updated_at) VALUES
    (1001, 'ada@example.com',   'Ada Moreau',   'GOLD',   'u-1',  '2026-11-01T09:00:00Z'),
    (1002, 'bram@example.com',  'Bram Okafor',  'SILVER', NULL,   '2026-11-02T10:30:00Z'),
    (1003, 'chloe@example.com', 'Chloe Varga',  'BRONZE', 'u-3',  '2026-11-03T08:15:00Z'),
    (1004, 'dev@example.com',   'Dev Raman',    'SILVER', NULL,   '2026-11-04T17:45:00Z')
ON CONFLICT (member_id) DO NOTHING;

INSERT INTO legacy.points_transactions
    (txn_id, member_id, points, amount, txn_type, source_txn_ref, created_at, updated_at) VALUES
    (5001, 1001,  120, 120.40, 'EARN',   NULL,      '2026-11-10T12:00:00Z', '2026-11-10T12:00:00Z'),
    (5002, 1001,  -50, NULL,   'REDEEM', NULL,      '2026-11-11T12:00:00Z', '2026-11-11T12:00:00Z'),
    (5003, 1002,   75,  75.10, 'EARN',   NULL,      '2026-11-12T09:30:00Z', '2026-11-12T09:30:00Z'),
    (5004, 1003,   40,  40.00, 'EARN',   't-demo-1','2026-11-13T15:00:00Z', '2026-11-13T15:00:00Z'),
    (5005, 1004,   10, NULL,   'ADJUST', NULL,      '2026-11-14T08:00:00Z', '2026-11-14T08:00:00Z')
ON CONFLICT (txn_id) DO NOTHING;
