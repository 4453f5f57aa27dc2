-- A balance never goes below zero (CONTRACT section 4, rule 5). Legacy adjustments can break
-- this upstream, so it warns rather than failing the build.
{{ config(severity='warn') }}

select
    user_id,
    balance

from {{ ref('user_points_balance') }}

where balance < 0
