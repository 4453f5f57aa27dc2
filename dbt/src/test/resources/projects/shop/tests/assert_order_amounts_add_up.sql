-- The payment columns of an order add up to its amount.
select order_id
from {{ ref('orders') }}
where coalesce(credit_card_amount, 0) + coalesce(coupon_amount, 0) + coalesce(bank_transfer_amount, 0)
    + coalesce(gift_card_amount, 0) != coalesce(amount, 0)
