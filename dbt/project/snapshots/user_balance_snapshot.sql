{% snapshot user_balance_snapshot %}

{{
    config(
        unique_key='user_id',
        strategy='check',
        check_cols=['balance']
    )
}}

select user_id, balance from {{ ref('user_points_balance') }}

{% endsnapshot %}
